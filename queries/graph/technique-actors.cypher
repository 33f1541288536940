// Graph view: the threat actors that use a technique, directly or through their software.
// @name technique-actors
// By ATT&CK id through the external-id index, or by name through the names
// index (then an exact, case-insensitive comparison).
CALL () {
  MATCH (t:Entity {external_id: toUpper($technique)}) WHERE t:Technique RETURN t
  UNION
  // fragment: lookup-name technique t Technique
  CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($technique, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS t
  WITH t WHERE t:Technique AND toLower(t.name) = toLower($technique)
  // end fragment
  RETURN t
}
CALL (t) {
  MATCH p = (:ThreatActor)-[:USES]->(t) RETURN p
  UNION
  MATCH p = (:ThreatActor)-[:USES]->(:Malware|Tool)-[:USES]->(t) RETURN p
}
RETURN p
