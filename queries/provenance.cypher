// Who says what about an entity: every claim with its source and quote.
// @name provenance
// @description Every claim about an entity (name or alias, case-insensitive), and every mention of it, with the source and the quote.
// @param name string required Name or alias of the entity, e.g. APT10.
// @columns entity, claim, source, quote
// In Neo4j Browser: :param name => 'APT10'
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup name e Entity
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($name, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
WITH e WHERE e:Entity
  AND (toLower(e.name) = toLower($name) OR any(known IN e.aliases WHERE toLower(known) = toLower($name)))
// end fragment
CALL (e) {
  MATCH (e)-[r]->(o:Entity)
  RETURN e.name + ' -[' + type(r) + ']-> ' + o.name AS claim, r.source AS src, r.quote AS quote
  UNION ALL
  MATCH (e)<-[r]-(o:Entity)
  RETURN o.name + ' -[' + type(r) + ']-> ' + e.name AS claim, r.source AS src, r.quote AS quote
  UNION ALL
  MATCH (rep:Report)-[m:MENTIONS]->(e)
  RETURN 'mentions ' + e.name AS claim, rep.uid AS src, m.quote AS quote
}
MATCH (s:Report {uid: src})
RETURN e.name AS entity, claim, s.title AS source, quote
ORDER BY entity, claim, source, quote
