// Which techniques two threat actors have in common.
// @name shared-techniques
// @description The ATT&CK techniques both threat actors use (directly or through their software), each actor taken with the nodes resolved to it.
// @param a string required Name or alias of the first threat actor, e.g. APT10.
// @param b string required Name or alias of the second threat actor, e.g. APT41.
// @columns technique_id, technique, tactics
// In Neo4j Browser: :param a => 'APT10'; :param b => 'APT41'
MATCH (x:ThreatActor)
WHERE toLower(x.name) = toLower($a) OR any(n IN x.aliases WHERE toLower(n) = toLower($a))
MATCH (x)-[:SAME_AS*0..10]-(ma:ThreatActor)
WITH collect(DISTINCT ma) AS clusterA
MATCH (y:ThreatActor)
WHERE toLower(y.name) = toLower($b) OR any(n IN y.aliases WHERE toLower(n) = toLower($b))
MATCH (y)-[:SAME_AS*0..10]-(mb:ThreatActor)
WITH clusterA, collect(DISTINCT mb) AS clusterB
MATCH (t:Technique)
WHERE EXISTS { UNWIND clusterA AS a MATCH (a)-[:USES]->(t) }
   OR EXISTS { UNWIND clusterA AS a MATCH (a)-[:USES]->(:Malware|Tool)-[:USES]->(t) }
WITH t, clusterB
WHERE EXISTS { UNWIND clusterB AS b MATCH (b)-[:USES]->(t) }
   OR EXISTS { UNWIND clusterB AS b MATCH (b)-[:USES]->(:Malware|Tool)-[:USES]->(t) }
RETURN t.external_id AS technique_id, t.name AS technique, t.tactics AS tactics
ORDER BY technique_id
