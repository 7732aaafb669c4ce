"""One row per (model, organization): aliases applied, each organization in the region of its own country."""

from __future__ import annotations

import pandas as pd

from opentrends.catalog import taxonomy


def organization_table(
    rows: pd.DataFrame, aliases: dict[str, str], split=taxonomy.split_list, hong_kong_macao_as_china: bool = False
) -> pd.DataFrame:
    """One row per (model row, organization): year, period, is_open, organization (aliases applied),
    listed_as (the name as the source writes it), country and region.

    Rule for an organization's region: its own country, not the model's origin. Epoch lists one country
    per organization, in the order of the organization list; where a row's two lists have the same
    length they are aligned, and an organization's country is the one it is listed with most often in
    aligned rows of `rows` (ties: alphabetical). An organization never seen aligned takes the country of
    the rows it appears in that list a single country (most often; ties alphabetical), else `Unknown`.
    So an organization counts in one region only.
    `split` turns an organization cell into names (the Epoch loader's `split_organizations`).
    """
    records = []
    for index, row in zip(rows.index, rows.itertuples(index=False)):
        names = split(row.organization)
        listed = tuple(getattr(row, "organization_countries", ()) or ())
        aligned = len(listed) == len(names)
        single = row.countries[0] if len(row.countries) == 1 else None
        for position, name in enumerate(names):
            records.append((index, aliases.get(name, name), name, listed[position] if aligned else None, single))
    table = pd.DataFrame(records, columns=["row", "organization", "listed_as", "listed_country", "single_country"])
    country = table["organization"].map(_most_common(table, "listed_country"))
    country = country.fillna(table["organization"].map(_most_common(table, "single_country")))
    table["country"] = country.fillna("")
    table["region"] = [
        taxonomy.country_region(c, hong_kong_macao_as_china) if c else "Unknown" for c in table["country"]
    ]
    keep = [c for c in ("year", "period", "is_open", "date") if c in rows.columns]
    table = table.join(rows[keep], on="row")
    return table[["row", *keep, "organization", "listed_as", "country", "region"]]


def _most_common(table: pd.DataFrame, column: str) -> pd.Series:
    """Per organization, its most frequent non-missing `column` value (ties: alphabetical)."""
    counts = (
        table.dropna(subset=[column])
        .groupby(["organization", column])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["organization", "n", column], ascending=[True, False, True])
    )
    return counts.drop_duplicates("organization").set_index("organization")[column]
