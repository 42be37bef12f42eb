// Records what genai-prices (npm @pydantic/genai-prices, MIT, see LICENSE) charges for each payload of
// payloads.json, so the tests compare Catalog with it without node:
//   npm install @pydantic/genai-prices && node record.mjs > expectations.json
import { readFileSync } from 'node:fs'
import { calcPrice, extractUsage, findProvider } from '@pydantic/genai-prices'

const { cases } = JSON.parse(readFileSync(new URL('./payloads.json', import.meta.url), 'utf8'))
const model = { id: 'test-model', match: { equals: 'test-model' } }

// genai-prices refuses usage that reports two overlapping counts (cache reads and audio input) without their
// overlap; Catalog reads a count a payload does not report as 0 (OpenAI Chat reports no cached audio), and so do these.
// Catalog has no unit for cached video, cache writes by modality, or audio/image/video reasoning (reasoning is text): those overlaps are 0,
// and their prices, which genai-prices asks for, are in a case's genai_prices_only (they charge nothing).
const joins = [
  ['cache_read_tokens', 'input_audio_tokens', 'cache_audio_read_tokens'],
  ['cache_read_tokens', 'input_image_tokens', 'cache_image_read_tokens'],
  ['cache_read_tokens', 'input_video_tokens', 'cache_video_read_tokens'],
  ['cache_write_tokens', 'input_audio_tokens', 'cache_audio_write_tokens'],
  ['cache_write_tokens', 'input_image_tokens', 'cache_image_write_tokens'],
  ['cache_write_tokens', 'input_video_tokens', 'cache_video_write_tokens'],
  ['output_audio_tokens', 'output_reasoning_tokens', 'output_audio_reasoning_tokens'],
  ['output_image_tokens', 'output_reasoning_tokens', 'output_image_reasoning_tokens'],
  ['output_video_tokens', 'output_reasoning_tokens', 'output_video_reasoning_tokens'],
]
const withJoins = (usage) => {
  const assumed = joins.filter(([a, b, join]) => usage[a] > 0 && usage[b] > 0 && usage[join] === undefined).map(([, , join]) => join)
  return { usage: Object.fromEntries([...Object.entries(usage), ...assumed.map((join) => [join, 0])]), assumed }
}
const results = cases.map((c) => {
  const extracted = c.flavor === null ? c.response.usage : extractUsage(findProvider({ providerId: c.provider }), c.response, c.flavor).usage
  const { usage, assumed } = withJoins(extracted)
  const provider = { id: 'test', name: 'test', api_pattern: 'test', models: [{ ...model, prices: { ...c.prices, ...c.genai_prices_only } }] }
  const price = calcPrice(usage, 'test-model', { provider, timestamp: new Date('2026-11-20T10:00:00Z') })
  const payload = (c.usagePath ?? ['usage']).reduce((o, k) => o[k], c.response)
  return { name: c.name, shape: c.shape, usage: payload, prices: c.prices, genai_prices_usage: usage, assumed_zero: assumed, total_usd: price.total_price }
})
const { version } = JSON.parse(readFileSync(new URL('node_modules/@pydantic/genai-prices/package.json', `file://${process.cwd()}/`), 'utf8'))
console.log(JSON.stringify({ generator: `@pydantic/genai-prices ${version} extractUsage + calcPrice (record.mjs)`, cases: results }, null, 2))
