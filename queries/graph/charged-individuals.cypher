// Graph view: who was charged, in which legal action, by whom, with which group.
// @name charged-individuals
MATCH p = (person:Person)-[:CHARGED_IN]->(l:LegalAction)
OPTIONAL MATCH b = (l)-[:BROUGHT_BY]->(:Entity)
OPTIONAL MATCH g = (person)-[:AFFILIATED_WITH]->(:ThreatActor)
RETURN p, b, g
