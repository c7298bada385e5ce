// GLFW's error messages for both GLFW platforms (desktop and browser; defined in
// platform_frame.cpp, which both build).
#pragma once

#include <string>

namespace im2col::gui {

// Routes GLFW's errors to LastGlfwError(). Call before glfwInit.
void ListenToGlfwErrors();
// The last error GLFW reported ("" before any), for Init's error text.
const std::string& LastGlfwError();

}  // namespace im2col::gui
