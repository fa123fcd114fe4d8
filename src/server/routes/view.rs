//! The newsroom pages: `GET /` (the paste form) and `POST /` (the form, answered with
//! the reading view). Built for people with a browser, not for clients: they work
//! without JavaScript, and a problem is answered as a page (the form again, with what
//! was sent and what went wrong) with the problem's status, not as problem+json.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::api::{self, AnnotateRequest, Problem};
use crate::pipeline::Options;
use crate::server::app::AppState;
use crate::server::error::ServerError;
use crate::server::view::{self, ArticleForm, Format, ProblemView};

pub async fn form() -> Html<String> {
    Html(view::form_page("", Format::Auto, None).into_string())
}

pub async fn submit(
    State(state): State<AppState>,
    form: Result<Form<ArticleForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            let status = rejection.status();
            let problem = if status == StatusCode::PAYLOAD_TOO_LARGE {
                ServerError::PayloadTooLarge {
                    limit: state.body_limit,
                }
                .problem()
            } else {
                Problem::new(
                    "invalid-form",
                    "Invalid form",
                    status.as_u16(),
                    rejection.body_text(),
                )
            };
            return problem_page(&problem, "", Format::Auto);
        }
    };
    if form.text.len() > state.body_limit {
        let problem = ServerError::PayloadTooLarge {
            limit: state.body_limit,
        }
        .problem();
        return problem_page(&problem, "", form.format);
    }
    let pipeline = match state.pipeline() {
        Ok(p) => p,
        Err(e) => return problem_page(&e.problem(), &form.text, form.format),
    };
    let request = AnnotateRequest {
        id: None,
        input: form.input(),
        options: Options::default(),
    };
    let rendered = tokio::task::spawn_blocking(move || {
        api::annotate(&pipeline, request)
            .map(|doc| view::render(&doc, Some(&form.text)))
            .map_err(|problem| Box::new((problem, form)))
    })
    .await;
    match rendered {
        Ok(Ok(page)) => Html(page).into_response(),
        Ok(Err(refused)) => {
            let (problem, form) = *refused;
            problem_page(&problem, &form.text, form.format)
        }
        Err(e) => {
            let e = ServerError::Internal(format!("reading view task failed: {e}"));
            tracing::error!(error = %e, "internal error");
            problem_page(&e.problem(), "", Format::Auto)
        }
    }
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
