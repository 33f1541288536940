// Graph view: an entity, the sources that mention it, and its claims.
// @name provenance
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup name e Entity
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($name, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
WITH e WHERE e:Entity
  AND (toLower(e.name) = toLower($name) OR any(known IN e.aliases WHERE toLower(known) = toLower($name)))
// end fragment
CALL (e) {
  MATCH p = (:Report)-[:MENTIONS]->(e) RETURN p
  UNION
  MATCH p = (e)-[r]-(:Entity) WHERE type(r) <> 'MENTIONS' RETURN p
}
RETURN p
LIMIT 300
