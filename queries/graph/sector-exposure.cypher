// Graph view: sectors and who targets them, directly or through a victim in the sector.
// @name sector-exposure
MATCH (s:Sector)
CALL (s) {
  MATCH p = (:Entity)-[:TARGETED]->(s) RETURN p
  UNION
  MATCH p = (:Entity)-[:TARGETED]->(:Entity)-[:PART_OF]->(s) RETURN p
}
RETURN p
