using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>Nullable text and UTC instants to and from BSON, the same way in every collection.</summary>
internal static class BsonValues
{
    public static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    public static BsonValue Nullable(DateTimeOffset? value) => value is { } at ? new BsonValue(at.UtcDateTime) : BsonValue.Null;

    public static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;

    public static DateTimeOffset Utc(BsonValue value) => new(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));

    public static DateTimeOffset? NullableUtc(BsonValue value) => value.IsNull ? null : Utc(value);
}
