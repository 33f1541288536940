// Who was charged, with which group, in which legal action, by whom.
// @name charged-individuals
// @description People charged, indicted or sanctioned: the threat actor they work with, the legal action, who brought it, and the quote.
// @param limit integer default=100 Most rows to return (the first ones in the order shown).
// @columns person, affiliated_actor, legal_action, brought_by, evidence
// In Neo4j Browser: :param limit => 100
MATCH (p:Person)-[c:CHARGED_IN]->(l:LegalAction)
OPTIONAL MATCH (p)-[:AFFILIATED_WITH]->(a:ThreatActor)
OPTIONAL MATCH (l)-[:BROUGHT_BY]->(b:Entity)
RETURN p.name AS person,
       a.name AS affiliated_actor,
       l.name AS legal_action,
       b.name AS brought_by,
       c.quote AS evidence
ORDER BY person, legal_action, affiliated_actor, brought_by
LIMIT $limit
