// Who condemned whom, in whose words.
// @name condemnations
// @description Every condemnation: who condemned whom, whether it was made or still expected when the source was written, the quote and the source.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @columns condemner, condemned, status, evidence, sources
// In Neo4j Browser: :param limit => 100
MATCH (x:Entity)-[c:CONDEMNED]->(y:Entity)
// The source report, through its uid (a per-row index lookup).
CALL (c) { MATCH (s:Report {uid: c.source}) RETURN s }
RETURN x.name AS condemner,
       y.name AS condemned,
       c.status AS status,
       c.quote AS evidence,
       collect(s.title) AS sources
ORDER BY condemned, condemner, evidence
LIMIT $limit
