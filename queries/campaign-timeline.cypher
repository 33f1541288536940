// Campaigns in time order.
// @name campaign-timeline
// @description Campaigns by start date: who conducted them (the threat actor, else the sponsor it is attributed to), when, and their victims.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @columns campaign, actor, start, end, victims
// In Neo4j Browser: :param limit => 100
MATCH (c:Campaign)
// The first campaigns in time order, before the per-campaign lookups.
WITH c ORDER BY c.start IS NULL, c.start, c.name
LIMIT $limit
RETURN c.name AS campaign,
       COLLECT {
         CALL (c) {
           MATCH (a:ThreatActor)-[:CONDUCTED]->(c) RETURN a.name AS n
           UNION
           MATCH (c)-[:ATTRIBUTED_TO]->(s:Entity)
           WHERE NOT EXISTS { MATCH (:ThreatActor)-[:CONDUCTED]->(c) }
           RETURN s.name AS n
         }
         RETURN n ORDER BY n
       } AS actor,
       c.start AS start,
       c.end AS `end`,
       COLLECT { MATCH (c)-[:TARGETED]->(v:Entity) RETURN DISTINCT v.name AS n ORDER BY n } AS victims
ORDER BY start IS NULL, start, campaign
