namespace Catalog.Api.Http;

/// <summary>The one list envelope of the API: <c>{"items": [...]}</c> (lists that page add their cursor or totals beside it).</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);
