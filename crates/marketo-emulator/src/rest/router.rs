//! The REST route table: each resource module lists its operations as
//! [`Route`]s (method, documented path pattern, handler), and this module
//! finds the one a request names.
//!
//! A pattern is a documented path with `{name}` placeholders, a placeholder
//! being a whole segment (`{listId}`) or a segment before a suffix
//! (`{id}.json`). When several patterns match a path, the one with the most
//! literal segments wins, so `/program/byName.json` beats
//! `/program/{id}.json` whatever the order of the tables. A path that
//! matches only with another method is `605 Request method not supported`;
//! no match at all is `610 Requested resource not found`.

use std::str::FromStr;

use axum::http::Method;

use super::{ApiError, ApiResult, Ctx, message_for};
use crate::state::State;

/// A route handler: the state and the request (path parameters included).
pub(crate) type Handler = fn(&mut State, &Ctx) -> ApiResult;

/// The HTTP methods the REST API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Delete,
}

impl Verb {
    fn is(self, method: &Method) -> bool {
        match self {
            Verb::Get => method == Method::GET,
            Verb::Post => method == Method::POST,
            Verb::Delete => method == Method::DELETE,
        }
    }
}

/// One operation of the REST API.
#[derive(Clone, Copy)]
pub(crate) struct Route {
    pub(crate) method: Verb,
    pub(crate) pattern: &'static str,
    pub(crate) handler: Handler,
}

/// `GET pattern → handler`.
pub(crate) const fn get(pattern: &'static str, handler: Handler) -> Route {
    Route {
        method: Verb::Get,
        pattern,
        handler,
    }
}

/// `POST pattern → handler`.
pub(crate) const fn post(pattern: &'static str, handler: Handler) -> Route {
    Route {
        method: Verb::Post,
        pattern,
        handler,
    }
}

/// `DELETE pattern → handler`.
pub(crate) const fn delete(pattern: &'static str, handler: Handler) -> Route {
    Route {
        method: Verb::Delete,
        pattern,
        handler,
    }
}

/// The path parameters of a matched route, in pattern order.
#[derive(Clone, Debug, Default)]
pub(crate) struct PathParams(Vec<(&'static str, String)>);

impl PathParams {
    /// The raw text of a placeholder (610 when the route has none of that name).
    pub(crate) fn str(&self, name: &str) -> Result<&str, ApiError> {
        self.0
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(not_found)
    }

    /// A numeric placeholder: a path whose id does not parse names no resource (610).
    pub(crate) fn int<T: FromStr>(&self, name: &str) -> Result<T, ApiError> {
        self.str(name)?.parse().map_err(|_| not_found())
    }
}

pub(crate) fn not_found() -> ApiError {
    ApiError::new("610", message_for("610"))
}

pub(crate) fn method_not_supported() -> ApiError {
    ApiError::new("605", message_for("605"))
}

/// One segment of a pattern.
#[derive(Debug, PartialEq)]
enum Seg {
    Literal(&'static str),
    /// `{name}` followed by a literal suffix (empty for a whole segment).
    Param(&'static str, &'static str),
}

fn parse_pattern(pattern: &'static str) -> Vec<Seg> {
    pattern
        .trim_matches('/')
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|r| r.split_once('}')) {
                Some((name, suffix)) => Seg::Param(name, suffix),
                None => Seg::Literal(s),
            },
        )
        .collect()
}

/// The parameters of `path` under `pattern` and its literal-segment count, if it matches.
fn match_pattern(pattern: &[Seg], path: &[&str]) -> Option<(PathParams, usize)> {
    if pattern.len() != path.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut literals = 0;
    for (seg, part) in pattern.iter().zip(path) {
        match seg {
            Seg::Literal(l) if l == part => literals += 1,
            Seg::Literal(_) => return None,
            Seg::Param(name, suffix) => {
                let value = part.strip_suffix(suffix)?;
                if value.is_empty() {
                    return None;
                }
                params.push((*name, value.to_owned()));
            }
        }
    }
    Some((PathParams(params), literals))
}

/// The compiled route table.
pub(crate) struct Router {
    routes: Vec<(Route, Vec<Seg>)>,
}

impl Router {
    /// A router over the given tables.
    pub(crate) fn new<'a>(tables: impl IntoIterator<Item = &'a [Route]>) -> Self {
        let routes = tables
            .into_iter()
            .flatten()
            .map(|r| (*r, parse_pattern(r.pattern)))
            .collect();
        Self { routes }
    }

    /// The handler and path parameters for `method path`, or the API error
    /// Marketo answers (605 wrong method, 610 unknown path).
    pub(crate) fn find(
        &self,
        method: &Method,
        path: &str,
    ) -> Result<(Handler, PathParams), ApiError> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut best: Option<(Handler, PathParams, usize)> = None;
        let mut other_method = false;
        for (route, segs) in &self.routes {
            let Some((params, literals)) = match_pattern(segs, &parts) else {
                continue;
            };
            if !route.method.is(method) {
                other_method = true;
                continue;
            }
            if best.as_ref().is_none_or(|(_, _, n)| literals > *n) {
                best = Some((route.handler, params, literals));
            }
        }
        match best {
            Some((handler, params, _)) => Ok((handler, params)),
            None if other_method => Err(method_not_supported()),
            None => Err(not_found()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn a(_: &mut State, _: &Ctx) -> ApiResult {
        Ok(json!("a"))
    }
    fn b(_: &mut State, _: &Ctx) -> ApiResult {
        Ok(json!("b"))
    }

    const TABLE: &[Route] = &[
        get("/rest/asset/v1/program/{id}.json", a),
        get("/rest/asset/v1/program/byName.json", b),
        post("/rest/v1/lists/{listId}/leads.json", a),
    ];

    #[test]
    fn literal_segments_win_and_params_are_captured() {
        let r = Router::new([TABLE]);
        let (h, p) = r
            .find(&Method::GET, "/rest/asset/v1/program/12.json")
            .unwrap();
        assert_eq!(h as usize, a as Handler as usize);
        assert_eq!(p.int::<i32>("id").unwrap(), 12);
        let (h, _) = r
            .find(&Method::GET, "/rest/asset/v1/program/byName.json")
            .unwrap();
        assert_eq!(h as usize, b as Handler as usize);
        let (_, p) = r
            .find(&Method::POST, "/rest/v1/lists/7/leads.json")
            .unwrap();
        assert_eq!(p.str("listId").unwrap(), "7");
        assert_eq!(p.int::<i64>("id").unwrap_err().code, "610");
    }

    #[test]
    fn wrong_method_is_605_and_unknown_path_610() {
        let r = Router::new([TABLE]);
        let e = r
            .find(&Method::POST, "/rest/asset/v1/program/12.json")
            .err()
            .unwrap();
        assert_eq!(e.code, "605");
        let e = r
            .find(&Method::GET, "/rest/asset/v1/nothing.json")
            .err()
            .unwrap();
        assert_eq!(e.code, "610");
        let e = r
            .find(&Method::GET, "/rest/asset/v1/program/.json")
            .err()
            .unwrap();
        assert_eq!(e.code, "610");
    }
}
