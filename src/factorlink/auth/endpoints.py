"""HTTP endpoints for the auth domain."""

from fastapi import APIRouter

router = APIRouter()
