// Graph view: the techniques two threat actors have in common.
// @name shared-techniques
MATCH (x:ThreatActor)
WHERE toLower(x.name) = toLower($a) OR any(n IN x.aliases WHERE toLower(n) = toLower($a))
MATCH (x)-[:SAME_AS*0..10]-(ma:ThreatActor)
WITH collect(DISTINCT ma) AS clusterA
MATCH (y:ThreatActor)
WHERE toLower(y.name) = toLower($b) OR any(n IN y.aliases WHERE toLower(n) = toLower($b))
MATCH (y)-[:SAME_AS*0..10]-(mb:ThreatActor)
WITH clusterA, collect(DISTINCT mb) AS clusterB
MATCH (t:Technique)
WHERE (EXISTS { UNWIND clusterA AS a MATCH (a)-[:USES]->(t) } OR EXISTS { UNWIND clusterA AS a MATCH (a)-[:USES]->(:Malware|Tool)-[:USES]->(t) })
  AND (EXISTS { UNWIND clusterB AS b MATCH (b)-[:USES]->(t) } OR EXISTS { UNWIND clusterB AS b MATCH (b)-[:USES]->(:Malware|Tool)-[:USES]->(t) })
MATCH p = (actor:ThreatActor)-[:USES]->(t)
WHERE actor IN clusterA OR actor IN clusterB
RETURN p
