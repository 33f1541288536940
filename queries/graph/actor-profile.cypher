// Graph view: a threat actor (with the nodes resolved to it) and everything it is linked to.
// @name actor-profile
MATCH (x:ThreatActor)
WHERE toLower(x.name) = toLower($actor) OR any(n IN x.aliases WHERE toLower(n) = toLower($actor))
MATCH (x)-[:SAME_AS*0..10]-(a:ThreatActor)
WITH DISTINCT a
MATCH p = (a)-[r]-(:Entity)
WHERE type(r) <> 'MENTIONS'
RETURN p
LIMIT 300
