//! The answers the provider writes itself: text, forms, JSON, and OAuth problem reports (the
//! OAuth Problem Reporting extension's form bodies, from the core's `Problem`).

use bytes::Bytes;
use http::{Response, StatusCode, header};
use http_body_util::Full;
use oauth1_core::server::Problem;

use crate::request_log::note;

/// Every answer: a whole body in memory.
pub(crate) type Answer = Response<Full<Bytes>>;

/// A 200 answer with this body and `Content-Type`.
pub(crate) fn typed(body: impl Into<Bytes>, content_type: &'static str) -> Answer {
    let mut answer = Response::new(Full::new(body.into()));
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    answer
}

/// A line of text with this status.
pub(crate) fn text(status: StatusCode, body: &str) -> Answer {
    let mut answer = typed(body.to_string(), "text/plain; charset=utf-8");
    *answer.status_mut() = status;
    answer
}

/// A 200 form answer (the flow's token responses, §2.1 and §2.3).
pub(crate) fn form(body: String) -> Answer {
    typed(body, oauth1_core::wire::FORM_CONTENT_TYPE)
}

/// A problem report, its code noted for the request's log record.
pub(crate) fn problem(status: StatusCode, problem: Problem) -> Answer {
    reported(status, problem, &[])
}

/// A problem with one of the extension's fields (`oauth_parameters_absent`, …).
pub(crate) fn problem_with(status: StatusCode, problem: Problem, field: (&str, &str)) -> Answer {
    reported(status, problem, &[field])
}

fn reported(status: StatusCode, problem: Problem, fields: &[(&str, &str)]) -> Answer {
    let mut answer = form(problem.response_body(fields));
    *answer.status_mut() = status;
    note(&mut answer).problem = Some(problem);
    answer
}
