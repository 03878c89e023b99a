"""POST /v1/evaluate and /v1/explain, as FastAPI routes: they declare the endpoints (their OpenAPI comes from
the same pydantic models as the command line's JSON) and answer when the bare endpoint in front of FastAPI
does not (a server with CORS). Both answer through `evaluation.respond`, so alike."""

from __future__ import annotations

from typing import Annotated, Any, Union

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.responses import Response

from ..evaluation import respond
from ..models import CaseEvaluateResponse, EvaluateResponse
from .common import BODY_ERRORS, state_of

__all__ = ["router", "FACTS_BODY", "Answer"]

router = APIRouter()

_ONE_OF = {"oneOf": [{"$ref": "#/components/schemas/Facts"}, {"$ref": "#/components/schemas/CaseFile"}],
           "discriminator": {"propertyName": "schema", "mapping": {
               "liability-facts/1": "#/components/schemas/Facts",
               "liability-facts/2": "#/components/schemas/CaseFile"}}}
FACTS_BODY = {"requestBody": {"required": True, "description": "A person's facts (liability-facts/1) or a case file "
                              "with several persons (liability-facts/2), told apart by `schema`; as JSON or YAML",
                              "content": {"application/json": {"schema": _ONE_OF},
                                          "application/yaml": {"schema": _ONE_OF}}}}
_AS_OF = {"name": "as_of", "in": "query", "required": False, "description": "Evaluate as if on this date "
          "(YYYY-MM-DD); default today", "schema": {"type": "string", "format": "date"}}
_LANG = {"name": "lang", "in": "query", "required": False, "description": "zh or en: the language of a "
         "text/markdown report and of messages", "schema": {"type": "string", "enum": ["zh", "en"]}}
_EXPLAIN = {"name": "explain", "in": "query", "required": False, "description": "also compute what would change "
            "each finding", "schema": {"type": "boolean", "default": False}}
_PERSON = {"name": "person", "in": "query", "required": False, "description": "a case file only, when explaining: "
           "explain this person alone (as `liability explain --person`)", "schema": {"type": "string"}}

# a person's determination, or a case's: told apart by `schema`
Answer = Annotated[Union[EvaluateResponse, CaseEvaluateResponse], Field(discriminator="schema_")]


async def _answer(request: Request) -> Response:
    payload, media, decision_id = await respond(state_of(request), request.scope, request.receive)
    return Response(payload, media_type=media, headers={"X-Decision-Id": decision_id} if decision_id else None)


@router.post("/evaluate", response_model=Answer, responses=BODY_ERRORS,
             openapi_extra={**FACTS_BODY, "parameters": [_AS_OF, _LANG, _EXPLAIN, _PERSON]},
             summary="Determine the judicial responsibility of each conduct (liability-determination/1), or of "
                     "each person of a case file (liability-case-determination/1)")
async def evaluate(request: Request) -> Any:
    """Facts as JSON (`application/json`) or YAML (`application/yaml`). `Accept: text/markdown` answers with the
    report in `lang`. Every determination served is recorded in the decision log (X-Decision-Id) before it is
    answered."""
    return await _answer(request)


@router.post("/explain", response_model=Answer, responses=BODY_ERRORS,
             openapi_extra={**FACTS_BODY, "parameters": [_AS_OF, _LANG, _PERSON]},
             summary="Evaluate and explain: why, why not each other finding, what would change it")
async def explain(request: Request) -> Any:
    return await _answer(request)
