// Which software (malware and tools) a threat actor uses.
// @name actor-software
// @description The malware and tools a threat actor (with the nodes resolved to it) uses, with ATT&CK ids, the evidence and its source.
// @param actor string required Name or alias of the threat actor (case-insensitive), e.g. APT10.
// @columns software_id, software, type, evidence, sources
// In Neo4j Browser: :param actor => 'APT10'
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup actor x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
// end fragment
// The actor and every node entity resolution linked to it (SAME_AS) are
// one entity; rep is the member with the smallest uid.
// fragment: cluster x m ThreatActor
MATCH (x)-[:SAME_AS*0..10]-(m:ThreatActor)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
// end fragment
UNWIND cluster AS a
MATCH (a)-[u:USES]->(s:Malware|Tool)
MATCH (r:Report {uid: u.source})
RETURN s.external_id AS software_id,
       s.name AS software,
       [l IN labels(s) WHERE l <> 'Entity'][0] AS type,
       u.quote AS evidence,
       collect(DISTINCT r.title) AS sources
ORDER BY software, evidence
