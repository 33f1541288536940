// Who condemned whom, in whose words.
// @name condemnations
// @description Every condemnation: who condemned whom, whether it was made or still expected when the source was written, the quote and the source.
// @columns condemner, condemned, status, evidence, sources
MATCH (x:Entity)-[c:CONDEMNED]->(y:Entity)
MATCH (s:Report {uid: c.source})
RETURN x.name AS condemner,
       y.name AS condemned,
       c.status AS status,
       c.quote AS evidence,
       collect(s.title) AS sources
ORDER BY condemned, condemner, evidence
