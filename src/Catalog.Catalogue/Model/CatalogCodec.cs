using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Catalog.Catalogue.Model
{
    /// <summary>
    /// The validated catalogue as compact bytes, so the generator emits one literal (which the compiler copies in
    /// constant time) instead of a constructor call per price, and the service turns it back into the model at
    /// start-up. Strings are written once and referred to by number afterwards (sources and provider ids repeat on
    /// every model). Places in the file are not kept: they serve the build's diagnostics, which are over by then.
    /// </summary>
    /// <remarks>
    /// Layout: the magic "CTLG", a format version byte, then the fields of <see cref="CatalogDoc"/> in declaration
    /// order, nested records likewise. Arrays are a 7-bit-encoded count then the items; an optional value is a
    /// presence byte then the value; a string is 0 (null), 1 followed by the UTF-8 text (a new string, numbered in
    /// order of appearance from 0) or n + 2 (the n-th string already written). Decimals keep their scale
    /// (<see cref="BinaryWriter.Write(decimal)"/>), so 2.50 decodes as 2.50.
    /// </remarks>
    public static class CatalogCodec
    {
        /// <summary>Bumped whenever the layout changes; a reader of another version refuses the bytes.</summary>
        public const byte FormatVersion = 3;

        private static readonly byte[] Magic = { (byte)'C', (byte)'T', (byte)'L', (byte)'G' };

        public static byte[] Encode(CatalogDoc catalog)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Writer(stream))
                {
                    writer.Write(Magic);
                    writer.Write(FormatVersion);
                    writer.Catalog(catalog);
                }

                return stream.ToArray();
            }
        }

        public static CatalogDoc Decode(byte[] bytes) => Decode(bytes, bytes.Length);

        /// <summary>The catalogue in the first <paramref name="count"/> bytes of <paramref name="bytes"/>.</summary>
        public static CatalogDoc Decode(byte[] bytes, int count)
        {
            using (var reader = new Reader(new MemoryStream(bytes, 0, count, writable: false)))
            {
                var magic = reader.ReadBytes(Magic.Length);
                if (magic.Length != Magic.Length || magic[0] != Magic[0] || magic[1] != Magic[1] || magic[2] != Magic[2] || magic[3] != Magic[3])
                {
                    throw new InvalidDataException("these bytes are not a compiled pricing catalogue");
                }

                var version = reader.ReadByte();
                if (version != FormatVersion)
                {
                    throw new InvalidDataException($"the compiled pricing catalogue has format {version}; this build reads format {FormatVersion}: rebuild with the matching Catalog.Generator");
                }

                var catalog = reader.Catalog();
                if (reader.BaseStream.Position != reader.BaseStream.Length)
                {
                    throw new InvalidDataException("the compiled pricing catalogue has bytes after its end");
                }

                return catalog;
            }
        }

        private sealed class Writer : BinaryWriter
        {
            private readonly Dictionary<string, int> _strings = new Dictionary<string, int>(StringComparer.Ordinal);

            public Writer(Stream stream)
                : base(stream, new UTF8Encoding(false, true), leaveOpen: true)
            {
            }

            public void Catalog(CatalogDoc c)
            {
                Write7BitEncodedInt(c.Schema);
                Text(c.Version);
                Text(c.SourceFile);
                Write(c.TypicalInputTokens);
                Write(c.TypicalOutputTokens);
                Prices(c.Fallback);
                Items(c.Providers, Provider);
                Items(c.Aliases, Alias);
                Items(c.Instances, Instance);
                Items(c.Endpoints, Endpoint);
                Items(c.Alerts, Alert);
                Items(c.Budgets, b =>
                {
                    Text(b.Id);
                    Text(b.Name);
                    Text(b.Period);
                    Write(b.AmountUsd);
                    Text(b.ScopeDimension);
                    Text(b.ScopeValue);
                    Money(b.WarningShare);
                    Text(b.Notes);
                });
            }

            private void Provider(ProviderDoc p)
            {
                Text(p.Id);
                Text(p.Name);
                Write(p.CacheTokensSeparate);
                Write(p.ReasoningTokensSeparate);
                Text(p.InputPerTokenEnv);
                Text(p.OutputPerTokenEnv);
                Optional(p.DefaultPrices, Prices);
                Text(p.Source);
                Text(p.Checked);
                Items(p.ServiceTiers, Modifier);
                Items(p.Regions, Modifier);
                Items(p.Models, Model);
            }

            private void Model(ModelDoc m)
            {
                Text(m.Provider);
                Text(m.Id);
                Text(m.Name);
                Write(m.Active);
                Items(m.MatchPrefixes, Text);
                Items(m.MatchNames, Text);
                Items(m.MatchSuffixes, Text);
                Items(m.MatchContains, Text);
                Items(m.MatchRegexes, Text);
                Text(m.Source);
                Text(m.Checked);
                Optional(m.Prices, Prices);
                Items(m.History, h =>
                {
                    Text(h.Until);
                    Prices(h.Prices);
                });
                Write(m.PerRequestUsd);
                Money(m.EstimateRequestUsd);
                Text(m.Notes);
                Items(m.ServiceTiers, Modifier);
                Items(m.Regions, Modifier);
                Items(m.TimeWindows, t =>
                {
                    Text(t.From);
                    Text(t.To);
                    Money(t.Multiplier);
                    Optional(t.Prices, Prices);
                });
            }

            private void Modifier(ModifierDoc m)
            {
                Text(m.Name);
                Money(m.Multiplier);
                Optional(m.Prices, Prices);
            }

            private void Prices(PriceBlock p)
            {
                Money(p.InputMtok);
                Money(p.OutputMtok);
                Money(p.CacheReadMtok);
                Money(p.CacheWriteMtok);
                Money(p.CacheWrite1hMtok);
                Items(p.UnitPrices, u =>
                {
                    Text(u.Key);
                    Write(u.Value);
                });
                Items(p.Tiers, t =>
                {
                    Write(t.AboveInputTokens);
                    Prices(t.Prices);
                });
            }

            private void Alias(ResolvedAlias a)
            {
                Text(a.Alias.Name);
                Text(a.Alias.Target);
                Optional(a.Alias.Prices, Prices);
                Text(a.Alias.Notes);
                Text(a.ResolvedModel);
                Items(a.Chain, Text);
                Optional(a.EffectivePrices, Prices);
            }

            private void Instance(InstanceDoc i)
            {
                Text(i.Vendor);
                Text(i.Region);
                Text(i.Type);
                Text(i.Size);
                Text(i.Accelerator);
                Write(i.HourlyUsd);
            }

            private void Endpoint(EndpointDoc e)
            {
                Text(e.Id);
                Text(e.Model);
                Text(e.Vendor);
                Text(e.Region);
                Text(e.InstanceType);
                Text(e.InstanceSize);
                Write(e.HourlyUsd);
                Write7BitEncodedInt(e.MinReplicas);
                Write7BitEncodedInt(e.MaxReplicas);
                Write(e.ScaleToZeroAfterMinutes.HasValue);
                if (e.ScaleToZeroAfterMinutes.HasValue)
                {
                    Write7BitEncodedInt(e.ScaleToZeroAfterMinutes.Value);
                }

                Text(e.Notes);
            }

            private void Alert(AlertDoc a)
            {
                Text(a.Id);
                Text(a.Kind);
                Money(a.ThresholdUsd);
                Text(a.Team);
                Money(a.Multiplier);
                Money(a.MinUsd);
                Money(a.AboveMtok);
                Text(a.Notes);
            }

            private void Items<T>(EquatableArray<T> items, Action<T> item)
                where T : IEquatable<T>
            {
                Write7BitEncodedInt(items.Count);
                foreach (var value in items)
                {
                    item(value);
                }
            }

            private void Optional<T>(T? value, Action<T> write)
                where T : class
            {
                Write(value != null);
                if (value != null)
                {
                    write(value);
                }
            }

            private void Money(decimal? value)
            {
                Write(value.HasValue);
                if (value.HasValue)
                {
                    Write(value.Value);
                }
            }

            private void Text(string? value)
            {
                if (value == null)
                {
                    Write7BitEncodedInt(0);
                }
                else if (_strings.TryGetValue(value, out var number))
                {
                    Write7BitEncodedInt(number + 2);
                }
                else
                {
                    _strings.Add(value, _strings.Count);
                    Write7BitEncodedInt(1);
                    Write(value);
                }
            }
        }

        private sealed class Reader : BinaryReader
        {
            private readonly List<string> _strings = new List<string>();
            private string _sourceFile = string.Empty;

            public Reader(Stream stream)
                : base(stream, new UTF8Encoding(false, true), leaveOpen: false)
            {
            }

            private LocationInfo Nowhere => LocationInfo.StartOf(_sourceFile);

            public CatalogDoc Catalog()
            {
                var schema = Read7BitEncodedInt();
                var version = Text()!;
                _sourceFile = Text()!;
                return new CatalogDoc(
                    schema,
                    version,
                    _sourceFile,
                    ReadInt64(),
                    ReadInt64(),
                    Prices(),
                    Items(Provider),
                    Items(Alias),
                    Items(Instance),
                    Items(Endpoint),
                    Items(Alert))
                {
                    Budgets = Items(() => new BudgetDoc(Text()!, Text(), Text()!, ReadDecimal(), Text()!, Text()!, Money(), Text(), Nowhere)),
                };
            }

            private ProviderDoc Provider()
            {
                var id = Text()!;
                var name = Text()!;
                var cacheSeparate = ReadBoolean();
                var reasoningSeparate = ReadBoolean();
                var inputEnv = Text();
                var outputEnv = Text();
                var defaults = Optional(Prices);
                var source = Text();
                var @checked = Text();
                var tiers = Items(Modifier);
                var regions = Items(Modifier);
                var models = Items(Model);
                return new ProviderDoc(id, name, cacheSeparate, inputEnv, outputEnv, defaults, source, @checked, models, Nowhere)
                {
                    ReasoningTokensSeparate = reasoningSeparate,
                    ServiceTiers = tiers,
                    Regions = regions,
                };
            }

            private ModelDoc Model()
            {
                var provider = Text()!;
                var id = Text()!;
                var name = Text();
                var active = ReadBoolean();
                var prefixes = Items(() => Text()!);
                var names = Items(() => Text()!);
                var suffixes = Items(() => Text()!);
                var contains = Items(() => Text()!);
                var regexes = Items(() => Text()!);
                var source = Text();
                var @checked = Text();
                var prices = Optional(Prices);
                var history = Items(() => new HistoryDoc(Text()!, Prices()));
                var perRequest = ReadDecimal();
                var estimate = Money();
                var notes = Text();
                var tiers = Items(Modifier);
                var regions = Items(Modifier);
                var windows = Items(() => new TimeWindowDoc(Text()!, Text()!, Money(), Optional(Prices)));
                return new ModelDoc(provider, id, name, active, prefixes, names, source, @checked, prices, history, perRequest, estimate, notes, Nowhere)
                {
                    MatchSuffixes = suffixes,
                    MatchContains = contains,
                    MatchRegexes = regexes,
                    ServiceTiers = tiers,
                    Regions = regions,
                    TimeWindows = windows,
                };
            }

            private ModifierDoc Modifier() => new ModifierDoc(Text()!, Money(), Optional(Prices));

            private PriceBlock Prices()
            {
                var input = Money();
                var output = Money();
                var cacheRead = Money();
                var cacheWrite = Money();
                var cacheWrite1h = Money();
                var unitPrices = Items(() => new UnitPriceDoc(Text()!, ReadDecimal()));
                var tiers = Items(() => new TierDoc(ReadInt64(), Prices()));
                return new PriceBlock(input, output, cacheRead, cacheWrite, cacheWrite1h, tiers) { UnitPrices = unitPrices };
            }

            private ResolvedAlias Alias()
            {
                var alias = new AliasDoc(Text()!, Text()!, Optional(Prices), Text(), Nowhere, Nowhere);
                return new ResolvedAlias(alias, Text()!, Items(() => Text()!), Optional(Prices));
            }

            private InstanceDoc Instance() =>
                new InstanceDoc(Text()!, Text()!, Text()!, Text()!, Text(), ReadDecimal(), Nowhere);

            private EndpointDoc Endpoint()
            {
                var id = Text()!;
                var model = Text()!;
                var vendor = Text()!;
                var region = Text()!;
                var type = Text();
                var size = Text();
                var hourly = ReadDecimal();
                var min = Read7BitEncodedInt();
                var max = Read7BitEncodedInt();
                int? scaleToZero = ReadBoolean() ? Read7BitEncodedInt() : (int?)null;
                return new EndpointDoc(id, model, vendor, region, type, size, hourly, min, max, scaleToZero, Text(), Nowhere);
            }

            private AlertDoc Alert() =>
                new AlertDoc(Text()!, Text()!, Money(), Text(), Money(), Money(), Money(), Text(), Nowhere);

            private EquatableArray<T> Items<T>(Func<T> item)
                where T : IEquatable<T>
            {
                var count = Read7BitEncodedInt();
                var items = new T[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = item();
                }

                return new EquatableArray<T>(items);
            }

            private T? Optional<T>(Func<T> read)
                where T : class => ReadBoolean() ? read() : null;

            private decimal? Money() => ReadBoolean() ? ReadDecimal() : (decimal?)null;

            private string? Text()
            {
                var tag = Read7BitEncodedInt();
                switch (tag)
                {
                    case 0:
                        return null;
                    case 1:
                        var value = ReadString();
                        _strings.Add(value);
                        return value;
                    default:
                        return _strings[tag - 2];
                }
            }
        }
    }
}
