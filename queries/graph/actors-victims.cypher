// Graph view: threat actors, their members and campaigns, and what they targeted.
// @name actors-victims
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches. Without $actor:
// every threat actor.
CALL () {
  WITH $actor AS q WHERE q IS NULL
  MATCH (x:ThreatActor) RETURN x
  UNION
  WITH $actor AS q WHERE q IS NOT NULL
  // fragment: lookup actor x ThreatActor
  CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
  WITH x WHERE x:ThreatActor
    AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
  // end fragment
  RETURN x
}
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
