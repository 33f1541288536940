// Everything the graph knows about one threat actor, on one row.
// @name actor-profile
// @description One row on a threat actor (and the nodes resolved to it): aliases, sponsors, agreements violated, who condemned it or its sponsors; and, as counts with one page each (most claims first, then the most recent), its members, campaigns, victims, software, techniques and sources.
// @param actor string required Name or alias of the threat actor (case-insensitive), e.g. APT10.
// @param top integer default=20 Most items of each list (members, campaigns, victims, software, techniques, sources).
// @param skip integer default=0 Items of each list to skip first (the next page: skip=20).
// @columns actor, aliases, sponsors, members, members_count, campaigns, campaigns_count, victims, victims_count, agreements_violated, condemned_by, software, software_count, techniques, techniques_count, sources, sources_count, rollups_stale
// In Neo4j Browser: :param actor => 'APT10'; :param top => 20; :param skip => 0
// The lists are the actor's rollups (graph.Rollups): the load path keeps
// on each actor the ordered uids of each list, so a profile reads one
// property per list instead of walking a hub; rollups_stale says a load
// was interrupted before it refreshed them.
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
       // fragment: page rep members Entity v.name
       COLLECT { WITH coalesce(rep.rollup_members, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Entity {uid: l[i]}) RETURN v.name AS n ORDER BY i } AS members,
       size(coalesce(rep.rollup_members, [])) AS members_count,
       // end fragment
       // fragment: page rep campaigns Entity v.name
       COLLECT { WITH coalesce(rep.rollup_campaigns, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Entity {uid: l[i]}) RETURN v.name AS n ORDER BY i } AS campaigns,
       size(coalesce(rep.rollup_campaigns, [])) AS campaigns_count,
       // end fragment
       // fragment: page rep victims Entity v.name
       COLLECT { WITH coalesce(rep.rollup_victims, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Entity {uid: l[i]}) RETURN v.name AS n ORDER BY i } AS victims,
       size(coalesce(rep.rollup_victims, [])) AS victims_count,
       // end fragment
       COLLECT { UNWIND cluster AS a MATCH (a)-[:VIOLATED]->(g:Agreement) RETURN DISTINCT g.name AS n ORDER BY n } AS agreements_violated,
       COLLECT {
         CALL (cluster) {
           UNWIND cluster AS a MATCH (x:Entity)-[:CONDEMNED]->(a) RETURN x.name AS n
           UNION
           UNWIND cluster AS a MATCH (a)-[:ATTRIBUTED_TO]->(:Entity)<-[:CONDEMNED]-(x:Entity) RETURN x.name AS n
         }
         RETURN n ORDER BY n
       } AS condemned_by,
       // fragment: page rep software Entity v.name
       COLLECT { WITH coalesce(rep.rollup_software, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Entity {uid: l[i]}) RETURN v.name AS n ORDER BY i } AS software,
       size(coalesce(rep.rollup_software, [])) AS software_count,
       // end fragment
       // fragment: page rep techniques Entity v.external_id + ' ' + v.name
       COLLECT { WITH coalesce(rep.rollup_techniques, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Entity {uid: l[i]}) RETURN v.external_id + ' ' + v.name AS n ORDER BY i } AS techniques,
       size(coalesce(rep.rollup_techniques, [])) AS techniques_count,
       // end fragment
       // fragment: page rep sources Report v.title
       COLLECT { WITH coalesce(rep.rollup_sources, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Report {uid: l[i]}) RETURN v.title AS n ORDER BY i } AS sources,
       size(coalesce(rep.rollup_sources, [])) AS sources_count,
       // end fragment
       coalesce(rep.rollup_stale, true) AS rollups_stale
ORDER BY actor
