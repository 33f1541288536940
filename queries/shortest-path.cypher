// How two entities are connected.
// @name shortest-path
// @description The shortest chains of claims between two entities (names or aliases, case-insensitive), through entities only (not the reports that mention them); at most 10, shortest first.
// @param from string required Name or alias of the first entity, e.g. Zhu Hua.
// @param to string required Name or alias of the second entity, e.g. China.
// @param max_hops integer default=6 Longest path to look for (at most 15).
// @columns path, hops
// In Neo4j Browser: :param from => 'Zhu Hua'; :param to => 'China'; :param max_hops => 6
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
WITH p, nodes(p) AS ns, relationships(p) AS rs
RETURN reduce(s = ns[0].name, i IN range(0, size(rs) - 1) |
         s + CASE WHEN startNode(rs[i]) = ns[i]
                  THEN ' -[' + type(rs[i]) + ']-> '
                  ELSE ' <-[' + type(rs[i]) + ']- ' END
           + ns[i + 1].name) AS path,
       length(p) AS hops
ORDER BY hops, path
LIMIT 10
