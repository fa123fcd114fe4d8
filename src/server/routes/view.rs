//! The newsroom pages: `GET /` (the paste form) and `POST /` (the form, answered with
//! the reading view). Built for people with a browser, not for clients: they work
//! without JavaScript, and a problem is answered as a page (the form again, with what
//! was sent and what went wrong) with the problem's status, not as problem+json.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::api::{self, AnnotateRequest, Problem};
use crate::pipeline::Options;
use crate::server::app::AppState;
use crate::server::body::{self, BodyRules};
use crate::server::error::ServerError;
use crate::server::respond;
use crate::server::view::{self, ArticleForm, Format, ProblemView};

pub async fn form() -> Html<String> {
    Html(view::form_page("", Format::Auto, None).into_string())
}

/// `POST /`: the same path as `POST /v1/annotate` (body limits, in-flight slot, memory
/// budget, worker, time limit), answered as a page.
pub async fn submit(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match annotate_form(&state, &headers, body).await {
        Ok(page) => page,
        Err((problem, text, format)) => problem_page(&problem, &text, format),
    }
}

type Failure = (Problem, String, Format);

async fn annotate_form(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    let fail = |e: ServerError| (e.problem(), String::new(), Format::Auto);
    if !is_form(headers) {
        let problem = Problem::new(
            "invalid-form",
            "Invalid form",
            415,
            "the form is sent as application/x-www-form-urlencoded",
        );
        return Err((problem, String::new(), Format::Auto));
    }
    // URL-encoded: up to three bytes on the wire per byte of text.
    let rules = BodyRules {
        limit: state.body.limit.saturating_mul(3),
        ..state.body
    };
    let (bytes, held) = body::read(body, headers, rules, state.annotator.budget())
        .await
        .map_err(|e| match e {
            // The limit the person can act on is the text's, not the encoding's.
            ServerError::PayloadTooLarge { .. } => fail(ServerError::PayloadTooLarge {
                limit: state.body.limit,
            }),
            e => fail(e),
        })?;
    let form: ArticleForm = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
        let problem = Problem::new("invalid-form", "Invalid form", 400, e.to_string());
        (problem, String::new(), Format::Auto)
    })?;
    drop(bytes);
    if form.text.len() > state.body.limit {
        let e = ServerError::PayloadTooLarge {
            limit: state.body.limit,
        };
        return Err((e.problem(), String::new(), form.format));
    }
    let admission = state
        .annotator
        .admit()
        .map_err(|e| (e.problem(), form.text.clone(), form.format))?;
    let request = AnnotateRequest {
        id: None,
        input: form.input(),
        options: Options::default(),
    };
    let (text, format) = (form.text.clone(), form.format);
    let size = text.len();
    let (rendered, mut reservation) = state
        .annotator
        .run(size, held, move |pipeline, cancel| {
            api::annotate_with(pipeline, request, cancel)
                .map(|doc| view::render(&doc, Some(&form.text)))
                .map_err(|problem| Box::new((problem, form)))
        })
        .await
        .map_err(|e| (e.problem(), text, format))?;
    match rendered {
        Ok(page) => {
            reservation.shrink_to(page.len());
            Ok(respond::held(
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                Bytes::from(page),
                (admission, reservation),
            ))
        }
        Err(refused) => {
            let (problem, form) = *refused;
            Err((problem, form.text, form.format))
        }
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// The form again, with the problem above it, under the problem's status.
fn problem_page(problem: &Problem, text: &str, format: Format) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let shown = ProblemView::from_problem(problem);
    (
        status,
        Html(view::error_page(&shown, text, format).into_string()),
    )
        .into_response()
}
