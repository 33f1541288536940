// Graph view: campaigns, who conducted them and what they targeted.
// @name campaign-timeline
MATCH (c:Campaign)
CALL (c) {
  MATCH p = (:Entity)-[:CONDUCTED]->(c) RETURN p
  UNION
  MATCH p = (c)-[:TARGETED|ATTRIBUTED_TO]->(:Entity) RETURN p
}
RETURN p
