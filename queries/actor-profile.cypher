// Everything the graph knows about one threat actor, on one row.
// @name actor-profile
// @description One row on a threat actor: aliases, sponsors, members, campaigns, victims, agreements violated, who condemned it or its sponsors, and the sources.
// @param actor string required Name or alias of the threat actor (case-insensitive), e.g. APT10.
// @columns actor, aliases, sponsors, members, campaigns, victims, agreements_violated, condemned_by, sources
// In Neo4j Browser: :param actor => 'APT10'
MATCH (a:ThreatActor)
WHERE toLower(a.name) = toLower($actor)
   OR any(x IN a.aliases WHERE toLower(x) = toLower($actor))
RETURN a.name AS actor,
       a.aliases AS aliases,
       COLLECT { MATCH (a)-[:ATTRIBUTED_TO]->(s:Entity) RETURN DISTINCT s.name AS n ORDER BY n } AS sponsors,
       COLLECT { MATCH (m:Entity)-[:AFFILIATED_WITH]->(a) RETURN DISTINCT m.name AS n ORDER BY n } AS members,
       COLLECT { MATCH (a)-[:CONDUCTED]->(c:Campaign) RETURN DISTINCT c.name AS n ORDER BY n } AS campaigns,
       COLLECT {
         CALL (a) {
           MATCH (a)-[:TARGETED]->(v:Entity) RETURN v.name AS n
           UNION
           MATCH (a)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(v:Entity) RETURN v.name AS n
           UNION
           MATCH (m:Entity)-[:AFFILIATED_WITH]->(a)
           MATCH (m)-[:TARGETED]->(v:Entity) RETURN v.name AS n
           UNION
           MATCH (m:Entity)-[:AFFILIATED_WITH]->(a)
           MATCH (m)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(v:Entity) RETURN v.name AS n
         }
         RETURN n ORDER BY n
       } AS victims,
       COLLECT { MATCH (a)-[:VIOLATED]->(g:Agreement) RETURN DISTINCT g.name AS n ORDER BY n } AS agreements_violated,
       COLLECT {
         CALL (a) {
           MATCH (x:Entity)-[:CONDEMNED]->(a) RETURN x.name AS n
           UNION
           MATCH (a)-[:ATTRIBUTED_TO]->(:Entity)<-[:CONDEMNED]-(x:Entity) RETURN x.name AS n
         }
         RETURN n ORDER BY n
       } AS condemned_by,
       COLLECT { MATCH (r:Report)-[:MENTIONS]->(a) RETURN DISTINCT r.title AS n ORDER BY n } AS sources
ORDER BY actor
