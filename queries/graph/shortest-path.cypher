// Graph view: the shortest chains of claims between two entities.
// @name shortest-path
MATCH (a:Entity)
WHERE toLower(a.name) = toLower($from) OR any(x IN a.aliases WHERE toLower(x) = toLower($from))
MATCH (b:Entity)
WHERE (toLower(b.name) = toLower($to) OR any(x IN b.aliases WHERE toLower(x) = toLower($to)))
  AND a <> b
MATCH p = allShortestPaths((a)-[*..15]-(b))
WHERE length(p) <= $max_hops AND all(n IN nodes(p) WHERE n:Entity)
RETURN p
LIMIT 10
