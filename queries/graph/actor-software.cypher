// Graph view: the malware and tools a threat actor uses.
// @name actor-software
// The names index finds the entities whose name or an alias holds the words
// given; the WHERE keeps exact (case-insensitive) matches.
// fragment: lookup actor x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
// end fragment
MATCH (x)-[:SAME_AS*0..10]-(a:ThreatActor)
WITH DISTINCT a
MATCH p = (a)-[:USES]->(:Malware|Tool)
RETURN p
