// Which sectors are targeted, by whom, on how many claims.
// @name sector-exposure
// @description Industry sectors with the actors that target them (directly, through a campaign, or through a victim in the sector) and the number of supporting claims.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @columns sector, actors, claims
// In Neo4j Browser: :param limit => 100
MATCH (s:Sector)
// Claims that target the sector, or an entity that is part of it; one row
// per attacker first (a claim is one relationship, so no row repeats).
CALL (s) {
  MATCH (x:Entity)-[t:TARGETED]->(s)
  RETURN x, count(t) AS n
  UNION ALL
  MATCH (v:Entity)-[:PART_OF]->(s)
  WITH DISTINCT v // two sources may both say v is part of s
  MATCH (x:Entity)-[t:TARGETED]->(v)
  RETURN x, count(t) AS n
}
WITH s, x, sum(n) AS n
// A campaign is named by the actor that conducted it.
OPTIONAL MATCH (a:ThreatActor)-[:CONDUCTED]->(x:Campaign)
WITH s, n, CASE WHEN a IS NULL THEN x.name ELSE a.name END AS actor
ORDER BY actor
RETURN s.name AS sector,
       collect(DISTINCT actor) AS actors,
       sum(n) AS claims
ORDER BY claims DESC, sector
LIMIT $limit
