/** Gateway program: arrives with the signed-grants issue. */
package jp.kominkan.gateway;
