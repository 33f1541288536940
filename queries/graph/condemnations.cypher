// Graph view: who condemned whom.
// @name condemnations
MATCH p = (:Entity)-[:CONDEMNED]->(:Entity)
RETURN p
