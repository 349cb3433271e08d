/** A grouped bar chart of each client's throughput relative to raw fetch, as a plain SVG. */

interface ChartRow {
  readonly label: string
  readonly clients: readonly {
    readonly client: string
    readonly ratio: { readonly median: number; readonly min: number; readonly max: number }
  }[]
}

const COLOURS = ['#8d99ae', '#5c677d', '#2a9d8f', '#1d6f63', '#e9c46a', '#f4a261', '#e76f51', '#b5838d']

export function renderChart(rows: readonly ChartRow[]): string {
  const clients = rows[0]?.clients.map((c) => c.client) ?? []
  const width = 900
  const barHeight = 9
  const groupGap = 22
  const left = 230
  const plotWidth = width - left - 60
  const max = Math.max(2, ...rows.flatMap((row) => row.clients.map((c) => c.ratio.max)))
  const x = (ratio: number) => left + (ratio / max) * plotWidth
  const groupHeight = clients.length * barHeight + groupGap
  const legendHeight = 40
  const height = legendHeight + rows.length * groupHeight + 40
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    // Read aloud for those who cannot see the bars.
    `<title>Requests per second of each client relative to raw fetch, per scenario</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="16" font-size="13" font-weight="600">Requests per second relative to raw fetch (median, with min–max)</text>`,
  )
  clients.forEach((client, i) => {
    const lx = left + (i % 4) * 150
    const ly = 26 + Math.floor(i / 4) * 12
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="8" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${lx + 14}" y="${ly}">${escapeXml(client)}</text>`,
    )
  })
  rows.forEach((row, g) => {
    const top = legendHeight + 10 + g * groupHeight
    parts.push(
      `<text x="${left - 8}" y="${top + (clients.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(row.label)}</text>`,
    )
    row.clients.forEach((c, i) => {
      const y = top + i * barHeight
      parts.push(
        `<rect x="${left}" y="${y}" width="${Math.max(0.5, x(c.ratio.median) - left)}" height="${barHeight - 2}" fill="${COLOURS[i % COLOURS.length]}"><title>${escapeXml(c.client)}: ${c.ratio.median.toFixed(2)}× (${c.ratio.min.toFixed(2)}–${c.ratio.max.toFixed(2)})</title></rect>`,
        `<line x1="${x(c.ratio.min)}" x2="${x(c.ratio.max)}" y1="${y + (barHeight - 2) / 2}" y2="${y + (barHeight - 2) / 2}" stroke="#222" stroke-width="1"/>`,
      )
    })
  })
  const axisY = legendHeight + 10 + rows.length * groupHeight - groupGap + 8
  for (let tick = 0; tick <= max; tick += max > 8 ? 2 : 1) {
    parts.push(
      `<line x1="${x(tick)}" x2="${x(tick)}" y1="${legendHeight + 4}" y2="${axisY}" stroke="${tick === 1 ? '#c00' : '#ddd'}" stroke-dasharray="${tick === 1 ? '4 3' : ''}"/>`,
      `<text x="${x(tick)}" y="${axisY + 12}" text-anchor="middle">${tick}×</text>`,
    )
  }
  parts.push('</svg>\n')
  return parts.join('\n')
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
