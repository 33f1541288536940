// Which indicators and observables point at a threat actor, directly or through its software.
// @name actor-indicators
// @description The indicators (with their observables and validity) and the observables that point at a threat actor (with the nodes resolved to it), directly or through the malware and tools it uses, with the evidence and its source.
// @param actor string required Name or alias of the threat actor (case-insensitive), e.g. APT10.
// @columns indicator, pattern, observables, via, valid_from, valid_until, evidence, source
// In Neo4j Browser: :param actor => 'APT10'
// fragment: lookup actor x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
// end fragment
// fragment: cluster x m ThreatActor
MATCH (x)-[:SAME_AS*0..10]-(m:ThreatActor)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
// end fragment
UNWIND cluster AS a
CALL (a) {
  MATCH (i:Indicator)-[c:INDICATES|RELATED_TO]-(a)
  RETURN i, c, 'directly' AS via
  UNION
  MATCH (a)-[:USES]->(s:Malware|Tool)-[c:INDICATES|RELATED_TO]-(i:Indicator)
  RETURN i, c, 'software: ' + s.name AS via
  UNION
  // An observable a source ties to the actor without an indicator.
  MATCH (i)-[c:RELATED_TO]-(a)
  WHERE NOT i:Indicator
  RETURN i, c, 'observable' AS via
}
MATCH (r:Report {uid: c.source})
OPTIONAL MATCH (i)-[:BASED_ON]->(o)
WITH i, c, via, r, o ORDER BY o.name
WITH i, c, via, r, collect(DISTINCT o.name) AS based_on
RETURN i.name AS indicator,
       i.pattern AS pattern,
       CASE WHEN i:Indicator THEN based_on ELSE [i.name] END AS observables,
       via,
       i.valid_from AS valid_from,
       i.valid_until AS valid_until,
       c.quote AS evidence,
       r.title AS source
ORDER BY via, indicator, evidence
