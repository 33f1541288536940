// Which sectors are targeted, by whom, on how many claims.
// @name sector-exposure
// @description Industry sectors with the actors that target them (directly, through a campaign, or through a victim in the sector) and the number of supporting claims.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @columns sector, actors, claims
MATCH (s:Sector)
CALL (s) {
  MATCH (x:Entity)-[t:TARGETED]->(s)
  RETURN x, t
  UNION
  MATCH (x:Entity)-[t:TARGETED]->(:Entity)-[:PART_OF]->(s)
  RETURN x, t
}
OPTIONAL MATCH (a:ThreatActor)-[:CONDUCTED]->(x:Campaign)
WITH s, t, CASE WHEN a IS NULL THEN x.name ELSE a.name END AS actor
ORDER BY actor
RETURN s.name AS sector,
       collect(DISTINCT actor) AS actors,
       count(DISTINCT t) AS claims
ORDER BY claims DESC, sector
LIMIT $limit
