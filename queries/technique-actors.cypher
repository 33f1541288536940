// Which threat actors use a technique.
// @name technique-actors
// @description The threat actors that use an ATT&CK technique (by id such as T1199, or by name), directly or through their software.
// @param technique string required ATT&CK technique id (T1199, T1003.002) or name (case-insensitive).
// @columns technique_id, technique, actor, via
// In Neo4j Browser: :param technique => 'T1199'
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
  MATCH (a:ThreatActor)-[:USES]->(t)
  RETURN a, 'directly' AS via
  UNION
  MATCH (a:ThreatActor)-[:USES]->(s:Malware|Tool)-[:USES]->(t)
  RETURN a, 'software: ' + s.name AS via
}
// Report each actor under its resolved entity's representative.
CALL (a) {
  MATCH (a)-[:SAME_AS*0..10]-(m:ThreatActor)
  WITH collect(DISTINCT m) AS cluster
  // fragment: representative
  RETURN reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
  // end fragment
}
WITH t, rep, via ORDER BY via
RETURN t.external_id AS technique_id, t.name AS technique, rep.name AS actor, collect(DISTINCT via) AS via
ORDER BY technique_id, actor
