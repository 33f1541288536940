// Graph view: an entity, the sources that mention it, and its claims.
// @name provenance
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR any(x IN e.aliases WHERE toLower(x) = toLower($name))
CALL (e) {
  MATCH p = (:Report)-[:MENTIONS]->(e) RETURN p
  UNION
  MATCH p = (e)-[r]-(:Entity) WHERE type(r) <> 'MENTIONS' RETURN p
}
RETURN p
LIMIT 300
