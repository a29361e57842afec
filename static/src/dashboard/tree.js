// The team hierarchy as a report gives it: each group names its parent.

export function tree (groups) {
  const byKey = new Map(groups.map((g) => [g.key, g]))
  const children = new Map()
  const roots = []
  for (const g of groups) {
    if (g.parent && byKey.has(g.parent)) {
      if (!children.has(g.parent)) children.set(g.parent, [])
      children.get(g.parent).push(g)
    } else {
      roots.push(g)
    }
  }
  const order = { department: 0, directorate: 1, team: 2 }
  const sort = (list) => list.sort((a, b) => (order[a.level] ?? 3) - (order[b.level] ?? 3) || a.name.localeCompare(b.name))
  sort(roots)
  for (const list of children.values()) sort(list)
  return {
    byKey,
    roots,
    children: (key) => children.get(key) || [],
    ancestors (key) {
      const out = []
      let g = byKey.get(key)
      while (g && g.parent && byKey.has(g.parent)) {
        g = byKey.get(g.parent)
        out.unshift(g)
      }
      return out
    }
  }
}
