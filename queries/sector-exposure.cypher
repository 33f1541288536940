// Which sectors are targeted, by whom, on how many claims.
// @name sector-exposure
// @description Industry sectors (with the nodes resolved to them) with what targets them (directly, through a campaign, or through a victim in the sector; a campaign counts as its actor), most claims first, and the number of supporting claims.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @param top integer default=20 Most attackers listed per sector.
// @param skip integer default=0 Attackers of each sector to skip first (the next page).
// @columns sector, actors, actors_count, claims
// In Neo4j Browser: :param limit => 100; :param top => 20; :param skip => 0
// Each sector's attackers and claims are its rollups (graph.Rollups: the
// load path keeps them on the sector), so the answer does not walk every
// claim into every sector.
MATCH (s:Sector)
// fragment: cluster s m Sector
MATCH (s)-[:SAME_AS*0..10]-(m:Sector)
WITH s, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
// end fragment
WITH rep, coalesce(rep.rollup_actors_claims, 0) AS claims
ORDER BY claims DESC, rep.name
LIMIT $limit
RETURN rep.name AS sector,
       // fragment: page rep actors Entity v.name
       COLLECT { WITH coalesce(rep.rollup_actors, []) AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
                 UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
                 MATCH (v:Entity {uid: l[i]}) RETURN v.name AS n ORDER BY i } AS actors,
       size(coalesce(rep.rollup_actors, [])) AS actors_count,
       // end fragment
       claims
ORDER BY claims DESC, sector
