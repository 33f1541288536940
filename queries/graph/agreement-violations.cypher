// Graph view: agreements, their parties and who violated them.
// @name agreement-violations
MATCH p = (:Entity)-[:VIOLATED]->(g:Agreement)
OPTIONAL MATCH q = (:Entity)-[:PARTY_TO]->(g)
RETURN p, q
