// Graph view: an observable, the indicators based on it and what they point at.
// @name observable-actors
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
  MATCH p = (o)<-[:BASED_ON]-(:Indicator)-[:INDICATES|RELATED_TO]-(x)
  WHERE x:ThreatActor OR x:Campaign OR x:Malware OR x:Tool
  RETURN p
  UNION
  MATCH p = (o)-[:RELATED_TO]-(x)
  WHERE x:ThreatActor OR x:Campaign OR x:Malware OR x:Tool
  RETURN p
}
RETURN p
