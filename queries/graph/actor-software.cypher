// Graph view: the malware and tools a threat actor uses.
// @name actor-software
MATCH (x:ThreatActor)
WHERE toLower(x.name) = toLower($actor) OR any(n IN x.aliases WHERE toLower(n) = toLower($actor))
MATCH (x)-[:SAME_AS*0..10]-(a:ThreatActor)
WITH DISTINCT a
MATCH p = (a)-[:USES]->(:Malware|Tool)
RETURN p
