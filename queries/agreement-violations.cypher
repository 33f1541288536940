// Which agreements were violated, and by whom.
// @name agreement-violations
// @description Agreements, their parties, who violated them, and the quote that says so.
// @columns agreement, parties, violator, evidence, sources
MATCH (v:Entity)-[r:VIOLATED]->(g:Agreement)
MATCH (s:Report {uid: r.source})
RETURN g.name AS agreement,
       COLLECT { MATCH (p:Entity)-[:PARTY_TO]->(g) RETURN DISTINCT p.name AS n ORDER BY n } AS parties,
       v.name AS violator,
       r.quote AS evidence,
       collect(s.title) AS sources
ORDER BY agreement, violator, evidence
