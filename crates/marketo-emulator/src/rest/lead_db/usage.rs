//! Usage statistics: REST calls and errors per day (`/rest/v1/stats/…`).

use serde_json::{Value, json};
use time::Duration;

use crate::rest::lead_ok;
use crate::rest::router::{Route, get};
use crate::rest::{ApiResult, Ctx};
use crate::state::State;

fn days(ctx: &Ctx, n: i64) -> Vec<time::Date> {
    let today = ctx.now.date();
    (0..n).map(|i| today - Duration::days(i)).collect()
}

fn usage(st: &State, ctx: &Ctx, n: i64) -> ApiResult {
    let result = days(ctx, n)
        .into_iter()
        .map(|d| {
            let users = st.lead_db.usage.get(&d).cloned().unwrap_or_default();
            let total: u64 = users.values().sum();
            json!({
                "date": d.to_string(),
                "total": total,
                "users": users.iter().map(|(u, c)| json!({"userId": u, "count": c})).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(lead_ok(result))
}

fn errors(st: &State, ctx: &Ctx, n: i64) -> ApiResult {
    let result = days(ctx, n)
        .into_iter()
        .map(|d| {
            let codes = st.lead_db.errors.get(&d).cloned().unwrap_or_default();
            let total: u64 = codes.values().sum();
            json!({
                "date": d.to_string(),
                "total": total,
                "errors": codes.iter().map(|(c, n)| json!({"errorCode": c, "count": n})).collect::<Vec<Value>>(),
            })
        })
        .collect();
    Ok(lead_ok(result))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/stats/usage.json", |st, ctx| usage(st, ctx, 1)),
    get("/rest/v1/stats/usage/last7days.json", |st, ctx| {
        usage(st, ctx, 7)
    }),
    get("/rest/v1/stats/errors.json", |st, ctx| errors(st, ctx, 1)),
    get("/rest/v1/stats/errors/last7days.json", |st, ctx| {
        errors(st, ctx, 7)
    }),
];
