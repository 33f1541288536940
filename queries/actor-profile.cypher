// Everything the graph knows about one threat actor, on one row.
// @name actor-profile
// @description One row on a threat actor (and the nodes resolved to it): aliases, sponsors, members, campaigns, victims, agreements violated, who condemned it or its sponsors, software, techniques, sources.
// @param actor string required Name or alias of the threat actor (case-insensitive), e.g. APT10.
// @columns actor, aliases, sponsors, members, campaigns, victims, agreements_violated, condemned_by, software, techniques, sources
// In Neo4j Browser: :param actor => 'APT10'
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup actor x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
// end fragment
// The actor and every node entity resolution linked to it (SAME_AS) are
// one entity; rep is the member with the smallest uid.
// fragment: cluster x m ThreatActor
MATCH (x)-[:SAME_AS*0..10]-(m:ThreatActor)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
// end fragment
RETURN rep.name AS actor,
       COLLECT { UNWIND cluster AS c UNWIND [c.name] + coalesce(c.aliases, []) AS n
                 WITH DISTINCT n WHERE n <> rep.name RETURN n ORDER BY n } AS aliases,
       COLLECT { UNWIND cluster AS a MATCH (a)-[:ATTRIBUTED_TO]->(s:Entity) RETURN DISTINCT s.name AS n ORDER BY n } AS sponsors,
       COLLECT { UNWIND cluster AS a MATCH (m:Entity)-[:AFFILIATED_WITH]->(a) RETURN DISTINCT m.name AS n ORDER BY n } AS members,
       COLLECT { UNWIND cluster AS a MATCH (a)-[:CONDUCTED]->(c:Campaign) RETURN DISTINCT c.name AS n ORDER BY n } AS campaigns,
       COLLECT {
         CALL (cluster) {
           UNWIND cluster AS a MATCH (a)-[:TARGETED]->(v:Entity) RETURN v.name AS n
           UNION
           UNWIND cluster AS a MATCH (a)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(v:Entity) RETURN v.name AS n
           UNION
           UNWIND cluster AS a MATCH (m:Entity)-[:AFFILIATED_WITH]->(a)
           MATCH (m)-[:TARGETED]->(v:Entity) RETURN v.name AS n
           UNION
           UNWIND cluster AS a MATCH (m:Entity)-[:AFFILIATED_WITH]->(a)
           MATCH (m)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(v:Entity) RETURN v.name AS n
         }
         RETURN n ORDER BY n
       } AS victims,
       COLLECT { UNWIND cluster AS a MATCH (a)-[:VIOLATED]->(g:Agreement) RETURN DISTINCT g.name AS n ORDER BY n } AS agreements_violated,
       COLLECT {
         CALL (cluster) {
           UNWIND cluster AS a MATCH (x:Entity)-[:CONDEMNED]->(a) RETURN x.name AS n
           UNION
           UNWIND cluster AS a MATCH (a)-[:ATTRIBUTED_TO]->(:Entity)<-[:CONDEMNED]-(x:Entity) RETURN x.name AS n
         }
         RETURN n ORDER BY n
       } AS condemned_by,
       COLLECT { UNWIND cluster AS a MATCH (a)-[:USES]->(s:Malware|Tool) RETURN DISTINCT s.name AS n ORDER BY n } AS software,
       COLLECT { UNWIND cluster AS a MATCH (a)-[:USES]->(t:Technique)
                 RETURN DISTINCT t.external_id + ' ' + t.name AS n ORDER BY n } AS techniques,
       COLLECT { UNWIND cluster AS a MATCH (r:Report)-[:MENTIONS]->(a) RETURN DISTINCT r.title AS n ORDER BY n } AS sources
ORDER BY actor
