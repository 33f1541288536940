// Which actors, campaigns and software an IP address, domain, URL, e-mail address or file hash is tied to, and who says so.
// @name observable-actors
// @description Given an IP address, domain, URL, e-mail address or file hash (defanged forms such as hxxp:// and example[.]com accepted): the actors, campaigns, malware and tools it is tied to, through which indicator, with the evidence, its source and date; actors also through the software an indicator points at.
// @param value observable required The value, e.g. 198.51.100.10, update.c2[.]example or a SHA-256 hash; threatkg normalises it (in Browser, give it normalised: a lower-case domain or hash).
// @columns observable, observable_type, indicator, tied_to, tied_type, via, evidence, source, date
// In Neo4j Browser: :param value => '198.51.100.10'
// Each arm is an exact seek of one range index (value, md5, sha1, ...).
// fragment: lookup-value value o
CALL () {
  MATCH (o:Entity {value: $value}) RETURN o
  UNION
  MATCH (o:Entity {md5: $value}) RETURN o
  UNION
  MATCH (o:Entity {sha1: $value}) RETURN o
  UNION
  MATCH (o:Entity {sha256: $value}) RETURN o
  UNION
  MATCH (o:Entity {sha512: $value}) RETURN o
}
// end fragment
CALL (o) {
  // An indicator based on the observable points at something...
  MATCH (i:Indicator)-[:BASED_ON]->(o)
  MATCH (i)-[c:INDICATES|RELATED_TO]-(x)
  WHERE x:ThreatActor OR x:Campaign OR x:Malware OR x:Tool
  RETURN i, x, c, 'indicator' AS via
  UNION
  // ...or a source ties the observable itself to it...
  MATCH (o)-[c:RELATED_TO]-(x)
  WHERE x:ThreatActor OR x:Campaign OR x:Malware OR x:Tool
  RETURN null AS i, x, c, 'related to' AS via
  UNION
  // ...or an actor or campaign uses the software an indicator points at.
  MATCH (i:Indicator)-[:BASED_ON]->(o)
  MATCH (i)-[:INDICATES|RELATED_TO]-(s:Malware|Tool)<-[c:USES]-(x:ThreatActor|Campaign)
  RETURN i, x, c, 'uses ' + s.name AS via
}
MATCH (r:Report {uid: c.source})
RETURN o.name AS observable,
       [l IN labels(o) WHERE l <> 'Entity'][0] AS observable_type,
       i.name AS indicator,
       x.name AS tied_to,
       [l IN labels(x) WHERE l <> 'Entity'][0] AS tied_type,
       via,
       c.quote AS evidence,
       r.title AS source,
       coalesce(c.date, r.date) AS date
ORDER BY tied_type, tied_to, indicator, via, evidence
