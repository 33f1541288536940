// Which agreements were violated, and by whom.
// @name agreement-violations
// @description Agreements, their parties, who violated them, and the quote that says so.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @columns agreement, parties, violator, evidence, sources
// In Neo4j Browser: :param limit => 100
MATCH (v:Entity)-[r:VIOLATED]->(g:Agreement)
// The source report, through its uid (a per-row index lookup).
CALL (r) { MATCH (s:Report {uid: r.source}) RETURN s }
RETURN g.name AS agreement,
       COLLECT { MATCH (p:Entity)-[:PARTY_TO]->(g) RETURN DISTINCT p.name AS n ORDER BY n } AS parties,
       v.name AS violator,
       r.quote AS evidence,
       collect(s.title) AS sources
ORDER BY agreement, violator, evidence
LIMIT $limit
