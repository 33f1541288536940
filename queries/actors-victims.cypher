// Which threat actors link to which victims, and how.
// @name actors-victims
// @description Every way a threat actor (with the nodes resolved to it), its members or its campaigns link to something targeted, with the quote and its sources; victims with the most claims, then the most recent, first.
// @param actor string optional Name or alias of one threat actor (case-insensitive); every actor when not set.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @param skip integer default=0 Victims of each actor to skip first (the next page).
// @columns actor, victim, victim_type, via, evidence, sources
// In Neo4j Browser: :param actor => 'APT10'; :param limit => 100; :param skip => 0   (actor => null for every actor)
// Each actor's victims come from its rollup (graph.Rollups: the load path
// keeps them in order on the actor), so that the first rows of a hub do
// not wait for all of its victims.
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches. Without $actor:
// every threat actor.
CALL () {
  WITH $actor AS q WHERE q IS NULL
  MATCH (x:ThreatActor) RETURN x
  UNION
  WITH $actor AS q WHERE q IS NOT NULL
  // fragment: lookup actor x ThreatActor
  CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
  WITH x WHERE x:ThreatActor
    AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
  // end fragment
  RETURN x
}
// The actor and every node entity resolution linked to it (SAME_AS) are
// one entity; rep is the member with the smallest uid.
// fragment: cluster x m ThreatActor
MATCH (x)-[:SAME_AS*0..10]-(m:ThreatActor)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
// end fragment
// The actors in name order, then each one's victims in rollup order; each
// victim gives one row at least, so the first $limit victims give the
// first $limit rows, and the walk stops there.
WITH rep, cluster ORDER BY rep.name
WITH rep, cluster, size(coalesce(rep.rollup_victims, [])) AS n, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
UNWIND range(first, CASE WHEN n < first + $limit THEN n ELSE first + $limit END - 1) AS rank
WITH rep, cluster, rank ORDER BY rep.name, rank LIMIT $limit
MATCH (v:Entity {uid: rep.rollup_victims[rank]})
// From the victim's side: its claims, then how each attacker is the
// actor's (a hub has thousands of members and campaigns; a victim's
// attackers are few).
CALL (cluster, v) {
  MATCH (v)<-[t:TARGETED]-(x:Entity)
  UNWIND cluster AS a
  CALL (a, x) {
    WITH a, x WHERE x = a
    RETURN 'directly' AS via
    UNION
    MATCH (a)-[:CONDUCTED]->(x:Campaign)
    RETURN 'campaign: ' + x.name AS via
    UNION
    MATCH (x)-[:AFFILIATED_WITH]->(a)
    RETURN 'member: ' + x.name AS via
    UNION
    MATCH (a)<-[:AFFILIATED_WITH]-(m:Entity)-[:CONDUCTED]->(x:Campaign)
    WHERE NOT (a)-[:CONDUCTED]->(x)
    RETURN 'member ' + m.name + ', campaign: ' + x.name AS via
  }
  WITH t, via ORDER BY via
  RETURN t, collect(DISTINCT via) AS via
}
WITH rep, rank, v, t, via ORDER BY rep.name, rank, t.quote
LIMIT $limit
CALL (t) { MATCH (s:Report {uid: t.source}) RETURN collect(DISTINCT s.title) AS sources }
RETURN rep.name AS actor,
       v.name AS victim,
       [l IN labels(v) WHERE l <> 'Entity'][0] AS victim_type,
       via,
       t.quote AS evidence,
       sources
ORDER BY actor, rank, evidence
