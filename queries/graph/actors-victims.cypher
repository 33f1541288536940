// Graph view: threat actors, their members and campaigns, and what they targeted.
// @name actors-victims
MATCH (x:ThreatActor)
WHERE $actor IS NULL OR toLower(x.name) = toLower($actor) OR any(n IN x.aliases WHERE toLower(n) = toLower($actor))
MATCH (x)-[:SAME_AS*0..10]-(a:ThreatActor)
WITH DISTINCT a
CALL (a) {
  MATCH p = (a)-[:TARGETED]->(:Entity) RETURN p
  UNION
  MATCH p = (a)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(:Entity) RETURN p
  UNION
  MATCH p = (:Entity)-[:AFFILIATED_WITH]->(a) RETURN p
  UNION
  MATCH p = (:Entity)-[:AFFILIATED_WITH]->(a)-[:CONDUCTED]->(:Campaign) RETURN p
  UNION
  MATCH p = (a)-[:SAME_AS]-(:ThreatActor) RETURN p
}
RETURN p
