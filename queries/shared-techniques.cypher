// Which techniques two threat actors have in common.
// @name shared-techniques
// @description The ATT&CK techniques both threat actors use (directly or through their software), each actor taken with the nodes resolved to it.
// @param a string required Name or alias of the first threat actor, e.g. APT10.
// @param b string required Name or alias of the second threat actor, e.g. APT41.
// @columns technique_id, technique, tactics
// In Neo4j Browser: :param a => 'APT10'; :param b => 'APT41'
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup a x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($a, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($a) OR any(known IN x.aliases WHERE toLower(known) = toLower($a)))
// end fragment
MATCH (x)-[:SAME_AS*0..10]-(ma:ThreatActor)
WITH collect(DISTINCT ma) AS clusterA
// fragment: lookup b y ThreatActor clusterA
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($b, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS y
WITH clusterA, y WHERE y:ThreatActor
  AND (toLower(y.name) = toLower($b) OR any(known IN y.aliases WHERE toLower(known) = toLower($b)))
// end fragment
MATCH (y)-[:SAME_AS*0..10]-(mb:ThreatActor)
WITH clusterA, collect(DISTINCT mb) AS clusterB
// The techniques of the first actor (reached from it, not by scanning every
// technique), kept when the second uses them too.
CALL (clusterA) {
  UNWIND clusterA AS a MATCH (a)-[:USES]->(t:Technique) RETURN t
  UNION
  UNWIND clusterA AS a MATCH (a)-[:USES]->(:Malware|Tool)-[:USES]->(t:Technique) RETURN t
}
WITH t, clusterB
WHERE EXISTS { UNWIND clusterB AS b MATCH (b)-[:USES]->(t) }
   OR EXISTS { UNWIND clusterB AS b MATCH (b)-[:USES]->(:Malware|Tool)-[:USES]->(t) }
RETURN t.external_id AS technique_id, t.name AS technique, t.tactics AS tactics
ORDER BY technique_id
