// The OpenGL API the gpu/ and platform/ code call: desktop OpenGL 3.3 core through glad,
// or OpenGL ES 3.0 (WebGL2) in the browser build, whose functions emscripten links
// directly. The code uses only what both offer; the few desktop-only calls are guarded
// with IM2COL_LAB_GLES.
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#define IM2COL_LAB_GLES 1
#else
#include <glad/gl.h>
#endif
