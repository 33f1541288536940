// Graph view: the shortest chains of claims between two entities.
// @name shortest-path
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup from a Entity
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($from, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS a
WITH a WHERE a:Entity
  AND (toLower(a.name) = toLower($from) OR any(known IN a.aliases WHERE toLower(known) = toLower($from)))
// end fragment
// fragment: lookup to b Entity a
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($to, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS b
WITH a, b WHERE b:Entity
  AND (toLower(b.name) = toLower($to) OR any(known IN b.aliases WHERE toLower(known) = toLower($to)))
// end fragment
WITH a, b WHERE a <> b
MATCH p = allShortestPaths((a)-[*..15]-(b))
WHERE length(p) <= $max_hops AND all(n IN nodes(p) WHERE n:Entity)
RETURN p
LIMIT 10
