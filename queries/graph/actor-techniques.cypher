// Graph view: the techniques a threat actor uses, directly or through its software.
// @name actor-techniques
MATCH (x:ThreatActor)
WHERE toLower(x.name) = toLower($actor) OR any(n IN x.aliases WHERE toLower(n) = toLower($actor))
MATCH (x)-[:SAME_AS*0..10]-(a:ThreatActor)
WITH DISTINCT a
CALL (a) {
  MATCH p = (a)-[:USES]->(:Technique) RETURN p
  UNION
  MATCH p = (a)-[:USES]->(:Malware|Tool)-[:USES]->(:Technique) RETURN p
}
RETURN p
