// Which ATT&CK techniques a threat actor uses, directly or through its software.
// @name actor-techniques
// @description The techniques a threat actor (with the nodes resolved to it) uses, directly or through software it uses, with the procedure text as evidence.
// @param actor string required Name or alias of the threat actor (case-insensitive), e.g. APT10.
// @columns technique_id, technique, tactics, via, evidence
// In Neo4j Browser: :param actor => 'APT10'
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup actor x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
// end fragment
// The actor and every node entity resolution linked to it (SAME_AS) are
// one entity; rep is the member with the smallest uid.
// fragment: cluster x m ThreatActor
MATCH (x)-[:SAME_AS*0..10]-(m:ThreatActor)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
// end fragment
CALL (cluster) {
  UNWIND cluster AS a
  MATCH (a)-[u:USES]->(t:Technique)
  RETURN t, 'directly' AS via, u.quote AS evidence
  UNION
  UNWIND cluster AS a
  MATCH (a)-[:USES]->(s:Malware|Tool)-[u:USES]->(t:Technique)
  RETURN t, 'software: ' + s.name AS via, u.quote AS evidence
}
RETURN t.external_id AS technique_id, t.name AS technique, t.tactics AS tactics, via, evidence
ORDER BY technique_id, via, evidence
